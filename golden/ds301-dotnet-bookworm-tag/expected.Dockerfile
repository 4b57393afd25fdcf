FROM mcr.microsoft.com/dotnet/sdk:8.0-bookworm-slim AS build
WORKDIR /source
COPY . .
RUN dotnet publish -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:8.0-bookworm-slim
WORKDIR /source
COPY --from=build /app /app
USER 1654:1654
WORKDIR /app
ENTRYPOINT ["./Worker"]
