"""A TLS front for a plain-HTTP stand-in, so the HTTPS transports can be tested and measured
locally: `python tls_standin.py DIR TARGET_PORT [HOSTNAME]`.

On first use it makes, with the `openssl` program, a throw-away certificate authority
(DIR/ca.pem) and a server certificate for HOSTNAME (default `localhost`, as subjectAltName) signed
by it. Clients trust DIR/ca.pem (SSL_CERT_FILE / CURL_CA_BUNDLE) or, for the fail-closed tests,
do not. It listens on 127.0.0.1 (an ephemeral port), ends TLS and forwards the bytes of each
connection to 127.0.0.1:TARGET_PORT on a connection of its own, both ways, so a kept-alive client
connection stays one upstream connection.

Prints `ready PORT` once listening, then one line per connection: `handshake N` after the N-th
completed TLS handshake, `refused REASON` for a handshake that failed (an unknown CA, a wrong host
name: the client aborts). Standard library only."""
import os
import socket
import ssl
import subprocess
import sys
import threading

from tcp_proxy import pump  # one direction of a connection, closed at its end

lock = threading.Lock()
handshakes = 0


def say(line):
    with lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def make_certificates(directory, hostname):
    ca, key, cert = (os.path.join(directory, n) for n in ("ca.pem", "server.key", "server.pem"))
    if os.path.exists(cert):
        return cert, key
    run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run("req", "-x509", *ec, "-keyout", os.path.join(directory, "ca.key"), "-out", ca, "-days", "2",
        "-subj", "/CN=templatec test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    csr = os.path.join(directory, "server.csr")
    run("req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=" + hostname)
    extensions = os.path.join(directory, "server.ext")
    with open(extensions, "w") as f:
        f.write("subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n" % hostname)
    run("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", os.path.join(directory, "ca.key"),
        "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", extensions)
    return cert, key


def serve(raw, context, target):
    global handshakes
    try:
        client = context.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError) as error:
        say("refused " + str(error).replace("\n", " "))
        raw.close()
        return
    with lock:
        handshakes += 1
        number = handshakes
    say("handshake %d" % number)
    try:
        upstream = socket.create_connection(("127.0.0.1", target))
    except OSError:
        client.close()
        return
    threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
    pump(client, upstream)


def main():
    directory, target = sys.argv[1], int(sys.argv[2])
    hostname = sys.argv[3] if len(sys.argv) > 3 else "localhost"
    cert, key = make_certificates(directory, hostname)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    say("ready %d" % server.getsockname()[1])
    while True:
        raw, _ = server.accept()
        threading.Thread(target=serve, args=(raw, context, target), daemon=True).start()


if __name__ == "__main__":
    main()
