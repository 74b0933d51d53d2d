## etc/local.mk
