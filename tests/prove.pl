#!/usr/bin/perl
# prove.pl — runs the test suite's TAP producers as `prove --exec ''` does (each file is executed
# itself), with prove's own harness (TAP::Harness) and its summary, then names every skipped test
# and its reason and counts them: "Skipped: N tests (...)". A file that skips all its tests
# ("1..0 # SKIP why") counts as one. With HOSTKIT_FAIL_ON_SKIP=1 (as .ci/run and make test-fresh
# set it) any skip fails the run.
# Usage: prove.pl [-v] FILE...
use strict;
use warnings;
use TAP::Harness;

my $verbose = 0;
if (@ARGV && $ARGV[0] eq '-v') {
    $verbose = 1;
    shift @ARGV;
}
my @skipped;
my $harness = TAP::Harness->new({ exec => [], verbosity => $verbose });
$harness->callback(made_parser => sub {
    my ($parser, $job) = @_;
    my $file = $job->[0];
    $parser->callback(test => sub {
        my $t = shift;
        return unless $t->has_skip;
        (my $name = $t->description) =~ s/^-\s*//;
        push @skipped, sprintf('%s %d%s: %s', $file, $t->number, $name ne '' ? " $name" : '',
                               $t->explanation || '(no reason given)');
    });
    $parser->callback(plan => sub {
        my $p = shift;
        push @skipped, sprintf('%s (all): %s', $file, $p->explanation || '(no reason given)')
            if $p->has_skip && $p->tests_planned == 0;
    });
});
my $aggregate = $harness->runtests(@ARGV);

my $n = @skipped;
print "Skipped: $n test", ($n == 1 ? '' : 's'), ($n ? ':' : '.'), "\n";
print "  $_\n" for @skipped;
my $fail_on_skip = ($ENV{HOSTKIT_FAIL_ON_SKIP} // '') eq '1';
if ($n && $fail_on_skip) {
    print "FAIL: HOSTKIT_FAIL_ON_SKIP=1 and $n test", ($n == 1 ? ' was' : 's were'),
          " skipped: install what they need (scripts/deps.sh) and run them\n";
}
exit(($aggregate->all_passed && !($n && $fail_on_skip)) ? 0 : 1);
