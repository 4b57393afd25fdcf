module example.com/server

go 1.19

exclude example.com/unused v1.0.0
