"""asean-claims: check every quantitative claim of one ASEAN op-ed against public data."""

__version__ = "0.2.0"
