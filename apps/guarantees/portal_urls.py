"""Pages of the win-win finance pool: guarantee institutions, programs and guarantees."""

app_name = "guarantees"

urlpatterns: list = []
