FROM mcr.microsoft.com/powershell:lts-debian-12
SHELL ["pwsh", "-Command"]
RUN Write-Host one
RUN Write-Host two && apt-get install -y curl
