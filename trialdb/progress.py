"""Progress of a long fetch, for people and for logs: a bar redrawn in place when the stream is a terminal,
plain lines otherwise (CI and the scheduled workflow keep readable logs). The registry step and the PubMed
step of `python -m trialdb sync` both use it."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """`progress(done, total)`: "fetched 1,200 of 3,400 records [#####.....]" (no bar when the total is unknown;
    `verb` and `what` name the step, e.g. "asked PubMed for" and "articles").
    On a terminal one line redrawn; elsewhere a line a call. Call `done()` at the end."""

    def __init__(self, stream: TextIO | None = None, what: str = "records", verb: str = "fetched") -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.what, self.verb = what, verb

    def __call__(self, done: int, total: int | None) -> None:
        if total:
            width = 30
            fill = min(width, round(width * done / total))
            text_ = f"{self.verb} {done:,} of {total:,} {self.what} [{'#' * fill}{'.' * (width - fill)}]"
        else:
            text_ = f"{self.verb} {done:,} {self.what}"
        self.stream.write(("\r" + text_) if self.tty else text_ + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
