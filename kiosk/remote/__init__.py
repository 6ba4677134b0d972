"""The guide's phone: a small web page on the local network that drives guided tours.

:mod:`kiosk.remote.server` is the web server (aiohttp, on its own thread and
asyncio loop, no Kivy); :mod:`kiosk.remote.auth` checks PINs and keeps the
sign-in tokens; :mod:`kiosk.remote.link` connects the server with the app on
the Kivy main thread; ``page/`` is the page itself (no CDN, no internet).
"""
