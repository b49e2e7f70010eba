#!/usr/bin/perl
# SPDX-License-Identifier: MIT
#
# mutate.pl FILE.c - the mutants of a C file, one per line of output:
#     LINE<TAB>FUNCTION<TAB>OPERATOR<TAB>MUTATED-LINE
# (FUNCTION: the one the line is in, or "-" outside any)
# Each mutant changes one thing on one line, the way a student's slip
# would: a relational operator (< <= > >= == !=), a logical one (&& ||), an
# integer constant by one, a whole statement deleted, an if's condition
# made false (an error check skipped), two arguments swapped, a 64-bit type
# made 32-bit, a flag dropped from an OR of flags. Comments, preprocessor
# lines and string literals are left alone. `make mutants` builds and grades
# each (common/scripts/mutants.sh).
use strict;
use warnings;

my ($file) = @ARGV;
die "usage: mutate.pl FILE.c\n" unless defined $file;
open(my $in, '<', $file) or die "mutate.pl: cannot read $file: $!\n";
my @lines = <$in>;
close $in;
chomp @lines;

my $in_comment = 0;
my $function = '-';
for my $n (1 .. @lines) {
	my $line = $lines[$n - 1];
	# A definition starts at column 0: "type name(" or "static type name(".
	$function = $1 if $line =~ /^(?:static\s+)?[a-z_][\w\s\*]*?\b(\w+)\s*\(/ && $line !~ /;\s*$/;
	# What is code on this line: comments and strings blanked out (same
	# length, so positions still match the real line).
	my $code = $line;
	if ($in_comment) {
		if ($code =~ m{\*/}) {
			$code =~ s{^.*?\*/}{' ' x length($&)}e;
			$in_comment = 0;
		} else {
			next;
		}
	}
	$code =~ s{"(?:[^"\\]|\\.)*"}{'"' . ('_' x (length($&) - 2)) . '"'}ge;
	$code =~ s{'(?:[^'\\]|\\.)'}{"'" . ('_' x (length($&) - 2)) . "'"}ge;
	$code =~ s{/\*.*?\*/}{' ' x length($&)}ge;
	if ($code =~ m{/\*}) {
		$code =~ s{/\*.*$}{' ' x length($&)}e;
		$in_comment = 1;
	}
	$code =~ s{//.*$}{' ' x length($&)}e;
	next if $code =~ /^\s*#/ || $code !~ /\S/;

	my @out;
	my $at = sub {	# (start, length, replacement, operator)
		my ($pos, $len, $with, $op) = @_;
		my $m = $line;
		substr($m, $pos, $len) = $with;
		push @out, [$op, $m];
	};
	# Relational operators (not ->, <<, >>, <<=, >>=).
	my %ror = ('<' => '<=', '<=' => '<', '>' => '>=', '>=' => '>', '==' => '!=', '!=' => '==');
	while ($code =~ /(?<![<>=!\-])(<=|>=|==|!=|<|>)(?![<>=])/g) {
		my ($op, $pos) = ($1, $-[1]);
		next if $op eq '>' && substr($code, $pos - 1, 1) eq '-';
		$at->($pos, length $op, $ror{$op}, "relational $op -> $ror{$op}");
	}
	# Logical operators.
	while ($code =~ /(&&|\|\|)/g) {
		my $with = $1 eq '&&' ? '||' : '&&';
		$at->($-[1], 2, $with, "logical $1 -> $with");
	}
	# Integer constants, by one (not inside identifiers; not array bounds of
	# declarations, which only change sizes).
	while ($code =~ /(?<![\w.])(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)(?![\w.])/g) {
		my ($lit, $pos) = ($1, $-[1]);
		my $v = $lit =~ /^0[xX]/ ? hex($lit) : $lit;
		my $fmt = $lit =~ /^0[xX]/ ? '0x%x' : '%d';
		$at->($pos, length $lit, sprintf($fmt, $v + 1), "constant $lit -> +1");
		$at->($pos, length $lit, sprintf($fmt, $v - 1), "constant $lit -> -1") if $v > 0;
	}
	# A whole statement deleted: an expression statement or a return of a
	# value, on one line (declarations, braces and control lines stay).
	if ($code =~ /^(\s*)(?!return\b|break\b|continue\b|case\b|default\b|goto\b|else\b)
			  [a-z_][\w>.\-\[\]]*\s*(\(|=|\+=|-=|\|=|&=|\+\+|--).*;\s*$/x &&
	    $code !~ /^\s*(?:const\s+|static\s+|struct\s+\w+\s+\**\w|unsigned\s|signed\s|
			  (?:u?int\d+_t|int|long|char|bool|size_t|ssize_t|void)\s+\**\w)/x) {
		push @out, ["statement deleted", "$1;"];
	}
	# An if whose condition is made false: the error check is skipped.
	if ($code =~ /^(\s*(?:\}\s*else\s+)?if\s*)\((.*)\)(\s*\{?\s*)$/ ||
	    $code =~ /^(\s*(?:\}\s*else\s+)?if\s*)\((.*)\)(\s*(?:return|goto|break|continue)\b.*)$/) {
		my ($head, $tail) = ($1, $3);
		push @out, ["if condition made false", "$head(0)" . substr($line, length($code) - length($tail))]
			if defined $tail;
	}
	# Two arguments swapped: f(a, b) with plain arguments.
	while ($code =~ /\b\w+\(\s*([\w.>\-]+)\s*,\s*([\w.>\-]+)\s*[,)]/g) {
		my ($a, $b, $pa, $pb) = ($1, $2, $-[1], $-[2]);
		next if $a eq $b;
		my $m = $line;
		substr($m, $pb, length $b) = $a;
		substr($m, $pa, length $a) = $b;
		push @out, ["arguments $a, $b swapped", $m];
	}
	# 64-bit types made 32-bit.
	while ($code =~ /\b(u?)int64_t\b/g) {
		$at->($-[0], length $&, "$1int32_t", "$&  -> $1int32_t");
	}
	# A flag dropped from an OR of flags (CONSTANT | CONSTANT).
	while ($code =~ /\b([A-Z][A-Z0-9_]+)\s*\|\s*([A-Z][A-Z0-9_]+)\b/g) {
		my ($a, $b, $start, $len) = ($1, $2, $-[0], $+[0] - $-[0]);
		$at->($start, $len, $a, "flag $b dropped");
		$at->($start, $len, $b, "flag $a dropped");
	}
	my %seen;
	for my $mut (@out) {
		my ($op, $m) = @$mut;
		next if $m eq $line || $seen{$m}++;
		print "$n\t$function\t$op\t$m\n";
	}
}
