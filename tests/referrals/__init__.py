"""Tests for the referrals package (a package: its module names repeat those of tests/core)."""
