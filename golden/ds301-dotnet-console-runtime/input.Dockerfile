FROM mcr.microsoft.com/dotnet/sdk:6.0
WORKDIR /source
COPY . .
RUN dotnet publish Worker.csproj -c Release --output out
CMD ["dotnet", "out/Worker.dll"]
