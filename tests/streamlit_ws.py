"""A Streamlit session over its websocket, as the browser holds one (tests only): the many-users test puts twenty of
them on the real server at once (issue 5 allows "20 browser sessions (or Streamlit websocket clients)").

The protocol is Streamlit's own (its `streamlit.proto` messages over `/_stcore/stream`, the subprotocol "streamlit"):
the client sends a BackMsg `rerun_script` with its ClientState (the URL's query string, the page: `page_name` for the
first run, as the browser's path names it, then the page's `page_script_hash` that the server's `navigation` message
lists), and the server answers with ForwardMsgs, the page's elements as `delta`s, until `script_finished`. What a
run drew is kept as the serialized deltas, so a test searches them for text (an NCT id, "2 of 4 trials match"). The
client never runs JavaScript: what the browser draws is the browser tests' part."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Run:
    """What one run of a page sent: its deltas' bytes, the exceptions it drew (their messages) and how it ended
    (ForwardMsg.script_finished's name, e.g. "FINISHED_SUCCESSFULLY")."""

    deltas: list[bytes] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    finished: str = ""

    def has(self, text: str) -> bool:
        """Whether any element the run drew holds `text` (UTF-8, as the protobuf carries it)."""
        needle = text.encode()
        return any(needle in d for d in self.deltas)


class Session:
    """One session: `async with Session(url) as s: run = await s.open("indication=SLE")`, then
    `await s.page("timeline")`. `pages` maps each page's URL path ("" for the default) to its script hash, from the
    server's navigation message."""

    def __init__(self, url: str, timeout: float = 120):
        self.url, self.timeout = url, timeout
        self.query = ""
        self.pages: dict[str, str] = {}
        self._ws: websockets.ClientConnection | None = None

    async def __aenter__(self) -> Session:
        ws_url = self.url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self._ws = await websockets.connect(ws_url, subprotocols=[websockets.Subprotocol("streamlit")],
                                            origin=websockets.Origin(self.url.rstrip("/")), max_size=2**26,
                                            open_timeout=self.timeout)
        return self

    async def __aexit__(self, *exc) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def _rerun(self, **state: str) -> Run:
        assert self._ws is not None
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        for name, value in state.items():
            setattr(msg.rerun_script, name, value)
        await self._ws.send(msg.SerializeToString())
        run = Run()
        async with asyncio.timeout(self.timeout):
            while not run.finished:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self._ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "delta":
                    if fwd.delta.new_element.WhichOneof("type") == "exception":
                        run.exceptions.append(fwd.delta.new_element.exception.message)
                    run.deltas.append(fwd.delta.SerializeToString())
                elif kind == "navigation":
                    self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                elif kind == "script_finished":
                    run.finished = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
        return run

    async def open(self, query: str = "", path: str = "") -> Run:
        """The first run, as a browser opening `url/path?query`."""
        self.query = query
        return await self._rerun(page_name=path)

    async def page(self, path: str) -> Run:
        """A run of the page at URL path `path` (a click in the sidebar's navigation), the query string kept."""
        return await self._rerun(page_script_hash=self.pages[path])
