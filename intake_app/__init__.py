"""Fraud Intake Desk (反诈受案台): offline intake of telecom and online fraud reports."""

__version__ = "0.1.0"
