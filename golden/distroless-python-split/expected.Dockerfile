FROM debian:12-slim AS build
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update && apt-get install -y --no-install-recommends python3-venv && rm -rf /var/lib/apt/lists/* && python3 -m venv /opt/venv
ENV PYTHONUNBUFFERED=1
WORKDIR /srv/app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt

FROM gcr.io/distroless/python3-debian12:nonroot
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
COPY --from=build /opt/venv /opt/venv
ENV PYTHONUNBUFFERED=1
WORKDIR /srv/app
COPY --from=build /srv/app /srv/app
EXPOSE 8000
ENTRYPOINT ["/opt/venv/bin/python3"]
CMD ["-m", "app"]
