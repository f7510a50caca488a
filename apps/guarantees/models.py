"""The win-win finance pool: guarantee institutions, programs and guarantees."""
