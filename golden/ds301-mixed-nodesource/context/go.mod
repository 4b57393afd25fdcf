module example.com/shopfront

go 1.19
