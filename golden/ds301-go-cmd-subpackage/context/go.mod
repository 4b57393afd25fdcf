module github.com/acme/shop/v2

go 1.22
