FROM mcr.microsoft.com/dotnet/sdk:8.0-bookworm-slim
WORKDIR /source
COPY . .
RUN dotnet publish -c Release -o /app
WORKDIR /app
ENTRYPOINT ["./Worker"]
