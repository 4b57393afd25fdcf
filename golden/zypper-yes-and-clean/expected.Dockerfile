FROM opensuse/leap:15.5
RUN zypper refresh && zypper install -y curl && zypper clean --all
