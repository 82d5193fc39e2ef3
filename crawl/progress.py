"""Live progress per host (rich): fetched, queued, errors, rate; shown only on a terminal."""
from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.table import Table

from crawl import state

if TYPE_CHECKING:
    from crawl.spider import Spider


def render(spider: Spider) -> Table:
    """A table with one row per crawled site (its host)."""
    table = Table(title="thidua crawl", expand=False)
    for col in ("site", "host", "fetched", "queued", "new", "errors", "retries", "rate/s"):
        table.add_column(col, justify="right" if col not in ("site", "host") else "left")
    for profile in spider.config.sites:
        host = profile.base_netloc
        stats = spider.fetcher.stats.get(host)
        counts = state.counts(spider.db, profile.name)
        queued = counts.get((state.ARTICLE, state.QUEUED), 0)
        site = spider.summary.sites[profile.name]
        table.add_row(profile.name, host, str(stats.responses if stats else 0), str(queued),
                      str(site.new_articles), str(stats.errors if stats else 0),
                      str(stats.retries if stats else 0), f"{stats.rate():.1f}" if stats else "0.0")
    return table


class ProgressDisplay:
    def __init__(self, spider: Spider, console: Console, interval: float) -> None:
        self.spider = spider
        self.live = Live(render(spider), console=console, auto_refresh=False, transient=False)
        self.interval = interval
        self.live.start()
        self.task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.live.update(render(self.spider), refresh=True)

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        self.live.update(render(self.spider), refresh=True)
        self.live.stop()


def start_progress(spider: Spider, console: Console | None = None, interval: float = 0.5) -> ProgressDisplay | None:
    """Start the live display on stderr when it is a terminal; None otherwise."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        return None
    return ProgressDisplay(spider, console, interval)


