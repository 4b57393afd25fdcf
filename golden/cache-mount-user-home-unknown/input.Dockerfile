FROM php:8.2-apache
USER www-data
RUN composer install && composer clear-cache
