"""Benchmarks that print figures and ratios measured in one run on one machine (`make bench`)."""
