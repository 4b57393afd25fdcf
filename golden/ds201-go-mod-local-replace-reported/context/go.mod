module example.com/shop

go 1.19

require golang.org/x/text v0.14.0

replace golang.org/x/text => ./third_party/text
