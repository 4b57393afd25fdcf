FROM fedora:39
RUN dnf install -y gcc make && dnf clean all
