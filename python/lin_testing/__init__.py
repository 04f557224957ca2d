"""Test support: random MLPs written as linalg IR in the forms frontends emit."""
