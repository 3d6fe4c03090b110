"""rapportbok: a reproducible annual report (verksamhetsberättelse) built from data."""

from rapportbok.data.load import load_year
from rapportbok.data.report import Report

__all__ = ["Report", "load_year"]
__version__ = "0.1.0"
