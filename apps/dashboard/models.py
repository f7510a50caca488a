"""The administrators' and contributors' dashboards."""
