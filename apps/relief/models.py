"""Sanctions, fines and damage-relief claims."""
