"""Tests of itilkit.practices."""
