FROM debian:bookworm-slim
RUN cd /opt/src
RUN ./configure && make install
RUN touch /var/log/app.log
CMD ["/usr/local/bin/app"]
