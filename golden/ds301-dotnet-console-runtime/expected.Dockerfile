FROM mcr.microsoft.com/dotnet/sdk:6.0 AS build
WORKDIR /source
COPY . .
RUN dotnet publish Worker.csproj -c Release --output out

FROM mcr.microsoft.com/dotnet/runtime:6.0
WORKDIR /source
COPY --from=build /source/out /source/out
CMD ["dotnet", "out/Worker.dll"]
