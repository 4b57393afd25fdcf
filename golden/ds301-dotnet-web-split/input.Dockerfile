FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /src
COPY *.csproj ./
RUN dotnet restore
COPY . .
RUN dotnet publish -c Release -o /app/publish --no-restore
WORKDIR /app/publish
EXPOSE 8080
ENTRYPOINT ["dotnet", "Api.dll"]
