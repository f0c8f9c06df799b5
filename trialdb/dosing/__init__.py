"""STAND-IN (issue 20): the READER helper's subpackage replaces this file; dropped at merge."""
