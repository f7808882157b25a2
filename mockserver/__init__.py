"""insurup-sandbox: a stateful, offline fake of the InsurUp insurance API."""

__version__ = "0.1.0"
