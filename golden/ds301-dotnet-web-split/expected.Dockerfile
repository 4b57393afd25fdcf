FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY *.csproj ./
RUN dotnet restore
COPY . .
RUN dotnet publish -c Release -o /app/publish --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /src
COPY --from=build /app/publish /app/publish
USER 1654:1654
WORKDIR /app/publish
EXPOSE 8080
ENTRYPOINT ["dotnet", "Api.dll"]
