"""Joint overseas expansion grants (win-win cooperation fund)."""
