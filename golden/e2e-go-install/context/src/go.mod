module dockslim.example/greeter

go 1.19
