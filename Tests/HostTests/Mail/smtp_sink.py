"""A loopback SMTP server for the mail tests: aiosmtpd, writing each message it accepts to
FOLDER as one JSON file (envelope sender and recipients, the decoded subject and text).

    smtp_sink.py FOLDER PORT

Prints "ready PORT" once it listens on 127.0.0.1 (PORT 0: any free port); stops on SIGTERM.
"""
import email
import email.header
import email.policy
import json
import os
import signal
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.count += 1
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "subject": str(message["subject"]),
            "headerTo": str(message["to"]),
            "body": message.get_content(),
        }
        name = os.path.join(self.folder, "%d-%d.json" % (time.time_ns(), self.count))
        with open(name + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.rename(name + ".tmp", name)
        return "250 Message accepted"


def main():
    folder, port = sys.argv[1], int(sys.argv[2])
    if port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready %d" % port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
