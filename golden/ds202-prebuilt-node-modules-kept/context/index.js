require('x')
