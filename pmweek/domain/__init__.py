"""Pure rules: no Textual, Rich or SQL imports here (tests enforce it)."""
