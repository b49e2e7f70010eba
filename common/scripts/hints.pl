#!/usr/bin/perl
# SPDX-License-Identifier: MIT
#
# hints.pl LEVEL FILE... - how much of its TODO comments a starter file
# keeps in a release (make release HINTS=LEVEL), rewriting each FILE in
# place:
#   full      every TODO comment as it is (the files are not touched);
#   sections  each TODO comment becomes one line with its section only,
#             /* TODO (section 5): see the lesson text. */
#   none      each TODO comment is removed, with the lines it took.
# A TODO comment is a C comment whose text begins with "TODO" ("TODO:",
# "TODO (section N): ..."); any other comment stays, and so does all the
# code: the functions, their signatures and the kit_todo() calls. A TODO
# comment that names no section takes the section of the kit_todo() call
# that follows it (its string "N. Title" gives N). Prints one line per
# file: how many TODO comments it changed.
use strict;
use warnings;

my $level = shift @ARGV // '';
die "usage: hints.pl full|sections|none FILE...\n" unless $level =~ /^(full|sections|none)$/;
exit 0 if $level eq 'full';

for my $file (@ARGV) {
	open(my $in, '<', $file) or die "hints: cannot read $file: $!\n";
	my $text = do { local $/; <$in> };
	close $in;
	my ($out, $pos, $n) = ('', 0, 0);

	while ($text =~ m{/\*(.*?)\*/}sg) {
		my ($body, $start, $end) = ($1, $-[0], $+[0]);
		# Its text without the comment's own decoration.
		(my $lead = $body) =~ s/^[\s*]+//;
		next unless $lead =~ /^TODO\b/;

		# The whole lines it takes: only blanks before it and after it.
		my $line_start = rindex($text, "\n", $start - 1) + 1;
		my $before = substr($text, $line_start, $start - $line_start);
		my $line_end = index($text, "\n", $end);
		$line_end = length($text) if $line_end < 0;
		my $after = substr($text, $end, $line_end - $end);
		my $whole = $before =~ /^[ \t]*$/ && $after =~ /^[ \t]*$/;

		my $section;
		if ($lead =~ /^TODO\s*\(section\s+([0-9][0-9.]*[0-9]|[0-9])/) {
			$section = $1;
		} elsif (substr($text, $end) =~ /kit_todo\(\s*LESSON,\s*"([0-9]+(?:\.[0-9]+)*)/) {
			$section = $1;
		}
		my $short = defined $section ? "/* TODO (section $section): see the lesson text. */"
					     : "/* TODO: see the lesson text. */";
		$n++;
		if ($whole) {
			$out .= substr($text, $pos, $line_start - $pos);
			$out .= "$before$short\n" if $level eq 'sections';
			$pos = $line_end < length($text) ? $line_end + 1 : $line_end;
			# (no two blank lines where one comment stood between them)
			$pos++ if $level eq "none" && $out =~ /\n\n\z/ && substr($text, $pos, 1) eq "\n";
		} else {
			$out .= substr($text, $pos, $start - $pos);
			$out .= $short if $level eq 'sections';
			$pos = $end;
		}
		pos($text) = $end;
	}
	$out .= substr($text, $pos);

	open(my $fh, '>', $file) or die "hints: cannot write $file: $!\n";
	print $fh $out;
	close $fh or die "hints: cannot write $file: $!\n";
	print "hints ($level): $file: $n TODO comment(s)\n";
}
