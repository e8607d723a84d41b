"""The mail tests' SMTP server: aiosmtpd (PyPI), writing each message it accepts to DIR as an
.eml file (the raw message as received). Prints "ready" once it listens.

    python3 smtp_sink.py PORT DIR
"""
import itertools
import pathlib
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out
        self.count = itertools.count()

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{next(self.count)}.eml"
        partial = self.out / (name + ".part")
        partial.write_bytes(envelope.original_content or envelope.content)
        # Renamed once whole, so that a reader never sees half a message.
        partial.rename(self.out / name)
        return "250 OK"


def main():
    port, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
