System.Console.WriteLine("worker");
