"""The touch interface (Kivy). Only this package imports Kivy."""
