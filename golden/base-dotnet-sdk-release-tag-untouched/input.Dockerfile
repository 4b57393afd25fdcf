FROM mcr.microsoft.com/dotnet/sdk:8.0.100 AS build
RUN dotnet publish -o /app

FROM mcr.microsoft.com/dotnet/sdk:8.0.100
COPY --from=build /app /app
ENTRYPOINT ["dotnet", "/app/x.dll"]
