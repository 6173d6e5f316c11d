"""The test harness: helpers the tests share that are not fixtures (fixtures live in conftest.py).

Test modules import from here and from conftest fixtures only, never from each other; nothing in
scripts/ imports from tests/ (tests/test_layout.py checks both).
"""
