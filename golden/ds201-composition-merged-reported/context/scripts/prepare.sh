#!/bin/sh
echo > .npmrc
