"""What the engine stand-ins share: serve on a loopback port, say where on the first line of
standard output, and stop when standard input closes (the test process that started us ended)."""
import http.server
import os
import sys
import threading


def serve_until_stdin_closes(handler, port: int, announce, on_stop=None):
    """Serves `handler` on 127.0.0.1:`port` (0: any free port); prints `announce(port)`; returns
    never: the process exits once standard input reaches its end."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(announce(server.server_address[1]), flush=True)
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except KeyboardInterrupt:
        pass
    server.shutdown()
    try:
        if on_stop:
            on_stop()
    finally:
        os._exit(0)
