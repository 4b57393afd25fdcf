FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /app
ENV ASPNETCORE_URLS=http://+:80
WORKDIR /app
ENTRYPOINT ["dotnet", "Api.dll"]
