FROM python:3.12 AS build
RUN apt-get update && apt-get install -y gcc libffi-dev
RUN pip install --prefix=/install cffi

FROM python:3.12-slim
COPY --from=build /install /usr/local
RUN apt-get update && apt-get install -y libffi8
CMD ["python", "-c", "import cffi"]
