"""A guided tour in progress, as a plain state machine (no Kivy).

The guide moves through the tour's steps with a presenter clicker, the
keyboard, swipes or on-screen arrows; the screen is only a view of a
:class:`TourRun`. Time enters through :meth:`TourRun.tick`, so auto-advance
is driven by whatever clock the caller has (the Kivy Clock in the app, plain
numbers in tests).

Routes: the tour screen for step N (counted from 1) of tour ID is
``tour/ID/N``; the step itself shows ``TourStep.route`` (a section, an
exhibit or one gallery photo).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content.model import Tour, TourStep

# Key names (as Kivy's Keyboard names them) to commands. Presenter clickers send
# PageDown / PageUp, and "." or "b" for their blank-screen button; some send Shift+Down /
# Shift+Up instead, and F5 / Esc (alternately) from their slideshow button, which blanks.
# kiosk.yaml's ``clicker:`` section replaces the keys of any command.
DEFAULT_KEYS = {
    "next": ("pagedown", "right", "down", "spacebar", "shift+down"),
    "previous": ("pageup", "left", "up", "backspace", "shift+up"),
    "blank": ("b", ".", "f5", "escape"),
    "first": ("home",),
    "last": ("end",),
    "pause": ("p",),
    "notes": ("n",),
}
MODIFIERS = ("ctrl", "alt", "shift", "meta")
NAMED_KEYS = frozenset({
    "pagedown", "pageup", "left", "right", "up", "down", "spacebar", "backspace", "home",
    "end", "escape", "enter", "tab", "delete", "insert", "pause", "print", "numpadenter",
    *(f"f{i}" for i in range(1, 16)), *(f"numpad{i}" for i in range(10)),
})


def key_spec(name: str, modifiers=()) -> str:
    """``"shift+up"``: the modifiers held (in a fixed order), then the key's name."""
    held = [m for m in MODIFIERS if m in {str(x).lower() for x in modifiers or ()}]
    return "+".join([*held, name.lower()])


def normalise_key(text: str) -> str | None:
    """A key as written in kiosk.yaml (``Shift+Up``, ``PageDown``, ``.``) in :func:`key_spec`
    form, or None if it is not a key Kivy names."""
    raw = str(text).strip()
    if len(raw) == 1:
        return raw.lower()
    parts = [p.strip().lower() for p in raw.split("+")]
    if raw.endswith("+"):  # "shift++": the plus key itself
        parts = [*parts[:-2], "+"]
    *mods, name = parts
    aliases = {"space": "spacebar", "esc": "escape", "pgdn": "pagedown", "pgup": "pageup",
               "page_down": "pagedown", "page_up": "pageup", "return": "enter", "control": "ctrl"}
    name = aliases.get(name, name)
    mods = [aliases.get(m, m) for m in mods]
    if any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return None
    if not (len(name) == 1 or name in NAMED_KEYS):
        return None
    return key_spec(name, mods)


def build_keymap(keys: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """Key spec → command, from the default keys with ``keys``' commands replaced."""
    chosen = dict(DEFAULT_KEYS)
    chosen.update(keys or {})
    keymap = {}
    for command, names in chosen.items():
        for name in names:
            spec = normalise_key(name)
            if spec:
                keymap.setdefault(spec, command)
    return keymap


def command_for_key(keymap: dict[str, str], name: str, modifiers=()) -> str | None:
    """The command of a key press: the exact combination first, then the key alone
    (a clicker holding Shift for its page keys still pages)."""
    if not name:
        return None
    return keymap.get(key_spec(name, modifiers)) or keymap.get(name.lower())


KEYMAP = build_keymap()
MOVES = ("next", "previous", "first", "last")
COMMANDS = (*MOVES, "blank", "pause", "notes", "finish")


def tour_route(tour_id: str, number: int) -> str:
    """The screen route of step ``number`` (from 1) of a tour."""
    return f"tour/{tour_id}/{number}"


def parse_tour_route(route: str) -> tuple[str, int] | None:
    """``"tour/ID/N"`` → ``("ID", N)``; None for any other route."""
    parts = route.split("/")
    if len(parts) != 3 or parts[0] != "tour" or not parts[1] or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2])


def relocate(old: tuple[TourStep, ...], index: int, new: tuple[TourStep, ...]) -> int:
    """Where a guide at ``old[index]`` stands in the edited tour ``new``.

    The same step (same route) if it is still there, nearest to the old
    position; otherwise the step after the nearest earlier step that is still
    there; otherwise the same position, clamped. ``new`` must not be empty.
    """
    if not new:
        raise ValueError("a tour without steps")
    index = max(0, min(index, len(old) - 1)) if old else 0
    if old:
        here = old[index].route
        same = [i for i, s in enumerate(new) if s.route == here]
        if same:
            return min(same, key=lambda i: (abs(i - index), i))
        new_routes = [s.route for s in new]
        for back in range(index - 1, -1, -1):
            if old[back].route in new_routes:
                return min(new_routes.index(old[back].route) + 1, len(new) - 1)
    return max(0, min(index, len(new) - 1))


@dataclass
class TourRun:
    """One run of a tour: where the guide is and what is shown.

    Never saved anywhere: a restart always returns to normal browsing.
    """

    tour: Tour
    index: int = 0
    paused: bool = False  # auto-advance held (the P key or the pause button)
    blanked: bool = False  # the screen shows only the theme background
    notes_open: bool = False  # the talking points (讲解词) drawer
    elapsed: float = 0.0  # seconds counted towards this step's auto-advance
    finished: bool = False

    def __post_init__(self):
        if not self.tour.steps:
            raise ValueError(f"tour '{self.tour.id}' has no steps")
        self.index = max(0, min(self.index, len(self.tour.steps) - 1))

    # ------------------------------------------------------------- reading
    @property
    def step(self) -> TourStep:
        return self.tour.steps[self.index]

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def total(self) -> int:
        return len(self.tour.steps)

    @property
    def is_first(self) -> bool:
        return self.index == 0

    @property
    def is_last(self) -> bool:
        return self.index == self.total - 1

    @property
    def route(self) -> str:
        """The tour screen's route for the current step."""
        return tour_route(self.tour.id, self.number)

    @property
    def step_route(self) -> str:
        """What the current step shows: ``section/…``, ``exhibit/…/…`` or ``photo/…/N``."""
        return self.step.route

    @property
    def seconds(self) -> float | None:
        return self.step.seconds

    @property
    def remaining(self) -> float | None:
        """Seconds until auto-advance, or None when this step does not advance by itself."""
        if self.seconds is None or self.is_last:
            return None
        return max(0.0, self.seconds - self.elapsed)

    @property
    def counting(self) -> bool:
        """Whether time now counts towards auto-advance."""
        return self.remaining is not None and not (self.paused or self.blanked or self.finished)

    def status(self) -> dict:
        return {"id": self.tour.id, "step": self.number, "of": self.total,
                "route": self.step_route, "paused": self.paused, "blanked": self.blanked}

    # -------------------------------------------------------------- moving
    def go_to(self, index: int) -> bool:
        """Show step ``index`` (from 0, clamped). True when the step changed."""
        if self.finished:
            return False
        index = max(0, min(index, self.total - 1))
        if index == self.index:
            return False
        self.index = index
        self.elapsed = 0.0
        self.notes_open = False  # talking points only ever show on request
        self.blanked = False
        return True

    def next(self) -> bool:
        return self.go_to(self.index + 1)

    def previous(self) -> bool:
        return self.go_to(self.index - 1)

    def first(self) -> bool:
        return self.go_to(0)

    def last(self) -> bool:
        return self.go_to(self.total - 1)

    def toggle_pause(self) -> bool:
        self.paused = not self.paused
        return self.paused

    def toggle_blank(self) -> bool:
        self.blanked = not self.blanked
        return self.blanked

    def toggle_notes(self) -> bool:
        self.notes_open = not self.notes_open
        return self.notes_open

    def finish(self) -> bool:
        """End the run (the Finish button on the last step, or the guide's exit)."""
        if self.finished:
            return False
        self.finished = True
        self.notes_open = False
        self.blanked = False
        return True

    def handle(self, command: str) -> bool:
        """Carry out a command from a key, a swipe or a button. True when something changed.

        While the screen is blanked, a move only brings the picture back (as
        presentation software does), so a stray click never skips a step unseen.
        """
        if command not in COMMANDS:
            raise ValueError(f"unknown tour command {command!r}")
        if self.finished:
            return False
        if self.blanked and command in MOVES:
            self.blanked = False
            return True
        if command == "blank":
            self.toggle_blank()
            return True
        if command == "pause":
            self.toggle_pause()
            return True
        if command == "notes":
            self.toggle_notes()
            return True
        if command == "finish":
            return self.finish()
        return getattr(self, command)()

    def key(self, name: str, modifiers=(), keymap: dict[str, str] | None = None) -> bool:
        """A key by Kivy's name for it (``pagedown``, ``b``, ``.``, …). False if not a tour key."""
        command = command_for_key(KEYMAP if keymap is None else keymap, name, modifiers)
        return self.handle(command) if command else False

    def tick(self, dt: float) -> bool:
        """Let ``dt`` seconds pass. True when this moved the tour to the next step."""
        if not self.counting:
            return False
        self.elapsed += dt
        if self.elapsed + 1e-9 >= (self.seconds or 0):
            return self.next()
        return False

    # ------------------------------------------------------------- reloads
    def update(self, tour: Tour) -> bool:
        """The tour was edited while running: keep the guide at the same step (or the nearest).

        True when the guide's step is now a different one.
        """
        if not tour.steps:
            raise ValueError(f"tour '{tour.id}' has no steps")
        before = self.step
        index = relocate(self.tour.steps, self.index, tour.steps)
        self.tour = tour
        self.index = index
        moved = self.step.route != before.route
        if moved:
            self.elapsed = 0.0
            self.notes_open = False
        elif self.seconds is not None:
            self.elapsed = min(self.elapsed, self.seconds)
        return moved
