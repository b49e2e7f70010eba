#!/usr/bin/perl
# SPDX-License-Identifier: MIT
#
# samples.pl TEXT.md ID OUTPUT - compares one sample of a lesson text with
# what its command really printed. A sample is a ```text block right after
# a line
#     <!-- sample ID: COMMAND -->   (or <!-- sample ID, on KVM: COMMAND -->)
# and it may be shortened:
#   - a line that is only "..." (with any indentation) stands for any
#     number of lines, none included;
#   - a line that ends in " ..." stands for one line that begins with the
#     text before the dots;
#   - the block may begin and end anywhere in the output.
# Every other line must be the output's, exactly (trailing blanks aside),
# and lines shown one after the other must follow each other there too.
# Exits 0 when the sample matches, 1 with the first line that does not.
use strict;
use warnings;

my ($text, $id, $output) = @ARGV;
die "usage: samples.pl TEXT.md ID OUTPUT\n" unless defined $output;

sub slurp {
	my ($path) = @_;
	open(my $fh, '<', $path) or die "samples: cannot read $path: $!\n";
	my @lines = map { s/\s+$//r } <$fh>;
	close($fh);
	return @lines;
}

# The block of sample ID, and the line of the text where it starts.
my @md = slurp($text);
my ($start, @block);
for (my $i = 0; $i < @md; $i++) {
	next unless $md[$i] =~ /^<!-- sample \Q$id\E(, on [a-z_]+)?: .* -->$/;
	die "samples: $text:" . ($i + 1) . ": sample $id is not followed by a ```text block\n"
		unless ($md[$i + 1] // '') eq '```text';
	$start = $i + 3; # the first line of the block, counted from 1
	for (my $j = $i + 2; $j < @md && $md[$j] ne '```'; $j++) {
		push @block, $md[$j];
	}
	last;
}
die "samples: $text has no sample $id\n" unless defined $start;

my @out = slurp($output);

# One element per line of the block: a gap, a prefix or an exact line.
my @pat = map {
	/^\s*\.\.\.$/ ? ['gap'] : /^(.*\S) \.\.\.$/ ? ['prefix', $1] : ['line', $_]
} @block;
sub fits {
	my ($p, $line) = @_;
	return $p->[0] eq 'prefix' ? index($line, $p->[1]) == 0 : $line eq $p->[1];
}

# Wildcard matching over lines, with an implicit gap before and after:
# the classic backtracking to the last gap. $best remembers how far the
# block ever got, for the message.
my @p = (['gap'], @pat, ['gap']);
my ($pi, $oi, $star, $mark, $best) = (0, 0, -1, 0, 0);
while ($oi < @out) {
	if ($pi < @p && $p[$pi][0] eq 'gap') {
		($star, $mark) = ($pi++, $oi);
	} elsif ($pi < @p && fits($p[$pi], $out[$oi])) {
		$pi++;
		$oi++;
		$best = $pi if $pi > $best;
	} elsif ($star >= 0) {
		$pi = $star + 1;
		$oi = ++$mark;
	} else {
		last;
	}
}
$pi++ while $pi < @p && $p[$pi][0] eq 'gap';
exit 0 if $pi == @p;

# $best - 1 is the index in @pat of the first line never matched.
my $bad = $best > 0 ? $best - 1 : 0;
$bad++ while $bad < @pat && $pat[$bad][0] eq 'gap';
$bad = $#pat if $bad > $#pat;
printf "samples: %s:%d (sample %s): this line is not in what the command printed%s:\n    %s\n",
	$text, $start + $bad, $id, $bad > 0 ? " after the lines before it" : "", $block[$bad];
exit 1;
