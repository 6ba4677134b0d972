"""The Kivy side of accessibility: the menu on every screen, narration and read-aloud,
captions over videos, keyboard focus, and the probe that measures controls for
``kiosk render`` (the rules and checks without Kivy are in :mod:`kiosk.a11y`)."""
