"""Whether the map page takes commands, whatever order Qt reports a load and the page's "ready".

Under load the page's "ready" (QWebChannel) was seen before the LoadStarted of the same document
(loadingChanged): the view then treated the live page as reloading and dropped every later
command. The orders below are the ones logged from the real page.
"""

from __future__ import annotations

from cluster_desk.ui.map.page import PageLoads


def test_the_usual_order_load_then_ready() -> None:
    loads = PageLoads()
    assert not loads.ready  # nothing loaded yet: the view queues
    loads.load_started()
    assert not loads.ready
    loads.said_ready()
    assert loads.ready


def test_a_ready_before_its_own_load_started_stays_ready() -> None:
    loads = PageLoads()
    loads.said_ready()
    assert loads.ready
    loads.load_started()  # the same document's LoadStarted, delivered late
    assert loads.ready


def test_a_reload_waits_for_the_new_page_whichever_signal_comes_first() -> None:
    loads = PageLoads()
    loads.load_started()
    loads.said_ready()
    loads.load_started()  # a reload of our page
    assert not loads.ready
    loads.said_ready()
    assert loads.ready

    late = PageLoads()
    late.said_ready()
    late.load_started()
    late.load_started()  # the reload, reported in order this time
    assert not late.ready
    late.said_ready()
    assert late.ready


def test_a_stopped_load_keeps_the_page_shown() -> None:
    loads = PageLoads()
    loads.load_started()
    loads.said_ready()
    loads.load_started()
    loads.load_stopped()  # aborted before a new document: the old one still takes commands
    assert loads.ready
    loads.load_stopped()  # a stray stop never lets a later reload count as ready
    loads.load_started()
    assert not loads.ready


def test_a_lost_renderer_takes_nothing_until_a_new_page_says_ready() -> None:
    loads = PageLoads()
    loads.load_started()
    loads.said_ready()
    loads.renderer_gone()
    assert not loads.ready
    loads.load_started()  # the view reloads the page
    assert not loads.ready
    loads.said_ready()
    assert loads.ready
