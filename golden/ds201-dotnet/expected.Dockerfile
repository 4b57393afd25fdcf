FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY App.csproj ./
RUN dotnet restore
COPY . .
RUN dotnet publish -c Release -o /out
